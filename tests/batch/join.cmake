# Joins for eligo batch (src/batch/join.*): related CSV, JSON Lines and SQLite tables written in the test.
target_sources(eligo_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/join_test.cpp)
target_link_libraries(eligo_tests PRIVATE SQLite::SQLite3)
