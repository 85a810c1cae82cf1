# Runs CMD with ARGS and checks its exit code (EXPECT_EXIT) and that its output contains EXPECT_OUTPUT.
# CMD may be a command with arguments joined by "|" (a wrapper such as valgrind, then the program).
string(REPLACE "|" ";" CMD "${CMD}")
execute_process(COMMAND ${CMD} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_EXIT}\n${out}\n${err}")
endif()
string(FIND "${out}" "${EXPECT_OUTPUT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "output lacks '${EXPECT_OUTPUT}':\n${out}\n${err}")
endif()
