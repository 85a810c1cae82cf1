# Joins for eligo batch (src/batch/join.hpp): a related table read by the record reader, keyed by a column.
target_sources(eligo PRIVATE ${CMAKE_CURRENT_LIST_DIR}/join.cpp)
