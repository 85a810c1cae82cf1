cmake_minimum_required(VERSION 3.16)
# The number of Catch2 cases run by CTest equals the number defined (issue 17).
#
# catch_discover_tests makes one CTest entry per case name. A name holding a CTest or Catch2 separator
# (`;` splits the entry in two; a leading `~`, a `*` at either end or a backslash changes what the test spec
# selects) or two names equal but for case (Catch2 matches names case-insensitively) would run no case or
# two; -w NoTests catches the first, this check catches both before any runs. Commas and brackets are fine:
# Catch.cmake escapes them in the spec.
execute_process(COMMAND ${TESTS} --list-test-names-only RESULT_VARIABLE rc OUTPUT_VARIABLE defined)
string(REPLACE ";" "<semicolon>" defined "${defined}")
string(REGEX REPLACE "\n$" "" defined "${defined}")
string(REPLACE "\n" ";" defined "${defined}")
list(LENGTH defined n_defined)
set(problems "")
set(lowered "")
foreach(name IN LISTS defined)
  if(name MATCHES "<semicolon>|[\\\\]|^[~*]|\\*$|^ | $|\t")
    string(APPEND problems "  a name with a separator or wildcard: '${name}'\n")
  endif()
  string(TOLOWER "${name}" low)
  if(low IN_LIST lowered)
    string(APPEND problems "  two cases named '${name}' (Catch2 compares names case-insensitively)\n")
  endif()
  list(APPEND lowered "${low}")
endforeach()

execute_process(COMMAND ${CTEST} --test-dir ${BUILD_DIR} -N -L ^catch2$ OUTPUT_VARIABLE listed RESULT_VARIABLE crc)
string(REGEX MATCHALL "Test +#[0-9]+: [^\n]*" entries "${listed}")
list(LENGTH entries n_entries)
if(NOT n_defined EQUAL n_entries)
  string(APPEND problems "  ${n_defined} Catch2 cases defined but ${n_entries} CTest entries labelled catch2\n")
endif()
if(n_defined LESS 1)
  string(APPEND problems "  no Catch2 case defined (eligo_tests exit code ${rc})\n")
endif()
if(problems)
  message(FATAL_ERROR "Catch2 cases and CTest entries disagree:\n${problems}")
endif()
message(STATUS "${n_defined} Catch2 cases, ${n_entries} CTest entries")
