# The xlsx reader (src/records/xlsx_reader.*): workbooks written by libxlsxwriter in the test and by openpyxl.
target_sources(eligo_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/xlsx_reader_test.cpp)
target_include_directories(eligo_tests PRIVATE ${ELIGO_XLSXWRITER_INCLUDE_DIR})
target_link_libraries(eligo_tests PRIVATE ${ELIGO_XLSXWRITER_LIBRARY})
