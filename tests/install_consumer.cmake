# Installs the built eligo into a scratch prefix, then configures, builds and runs examples/consumer
# against it with find_package(eligo): the way a portal's project uses an installed eligo.
# SANITIZER_FLAGS: set when the build under test is a sanitizer build (scripts/test --sanitize); a program
# linking a sanitized libeligo needs the sanitizer runtime too, so the consumer is built with the same flags.
set(prefix ${BUILD_DIR}/install-test/prefix)
set(consumer_build ${BUILD_DIR}/install-test/consumer)
file(REMOVE_RECURSE ${BUILD_DIR}/install-test)
# The installed headers are copies of the sources, with the public sample numbers of their documentation:
# clear by intent for the R8 scan (tests/r8_scan.py).
file(WRITE ${BUILD_DIR}/install-test/.r8-clear "*\n")
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer -B ${consumer_build}
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
                        "-DCMAKE_CXX_FLAGS=${SANITIZER_FLAGS}" "-DCMAKE_C_FLAGS=${SANITIZER_FLAGS}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${consumer_build} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the consumer failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${consumer_build}/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer ran but failed: ${out}")
endif()
message(STATUS "consumer: ${out}")
execute_process(COMMAND ${consumer_build}/consumer_c RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the C consumer ran but failed: ${out}")
endif()
# pkg-config for the C API: compile and run the C example against the install tree with plain cc.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs eligo OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know eligo")
  endif()
  separate_arguments(flags UNIX_COMMAND "${SANITIZER_FLAGS} ${flags}")
  execute_process(COMMAND cc -std=c99 ${SOURCE_DIR}/examples/consumer/main.c ${flags} -Wl,-rpath,${prefix}/lib
                          -o ${consumer_build}/consumer_pkgconfig RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cc with pkg-config flags failed: ${err}")
  endif()
  execute_process(COMMAND ${consumer_build}/consumer_pkgconfig RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the pkg-config consumer failed: ${out}")
  endif()
endif()
