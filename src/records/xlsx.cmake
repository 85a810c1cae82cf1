# The xlsx part of the record reader (src/records/xlsx_reader.*): zip through minizip, XML through expat
# (Debian libminizip-dev and libexpat1-dev, installed by scripts/bootstrap). Found as plain library paths, like
# libxlsxwriter, so find_package(eligo) consumers need nothing new.
target_sources(eligo PRIVATE ${CMAKE_CURRENT_LIST_DIR}/xlsx_reader.cpp)
find_path(ELIGO_MINIZIP_INCLUDE_DIR minizip/unzip.h REQUIRED)
find_library(ELIGO_MINIZIP_LIBRARY minizip REQUIRED)
find_path(ELIGO_EXPAT_INCLUDE_DIR expat.h REQUIRED)
find_library(ELIGO_EXPAT_LIBRARY expat REQUIRED)
target_include_directories(eligo PRIVATE ${ELIGO_MINIZIP_INCLUDE_DIR} ${ELIGO_EXPAT_INCLUDE_DIR})
target_link_libraries(eligo PRIVATE ${ELIGO_MINIZIP_LIBRARY} ${ELIGO_EXPAT_LIBRARY})
