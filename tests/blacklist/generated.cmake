# CTest script: makes ROWS listings with scripts/gen_blacklist.py (FORMAT csv or jsonl; KEYED=1 hashes them
# with a key file), then runs eligo blacklist import, check and stats on them and checks the counts the
# generator says an import must report.
#   cmake -DCLI=… -DPYTHON=… -DGEN=… -DWORK=… -DROWS=… -DFORMAT=csv [-DKEYED=1] -P generated.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(list ${WORK}/list.${FORMAT})
execute_process(COMMAND ${PYTHON} ${GEN} --rows ${ROWS} --bad-every 1000 --dup-every 500 --out ${list}
                RESULT_VARIABLE rc OUTPUT_VARIABLE gen ERROR_VARIABLE gen_err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generator failed: ${gen}${gen_err}")
endif()
if(NOT gen MATCHES "rows ([0-9]+): expect loaded ([0-9]+), rejected ([0-9]+), merged ([0-9]+) \\(sample listed ([0-9X]+), unlisted ([0-9X]+)\\)")
  message(FATAL_ERROR "unexpected generator output: ${gen}")
endif()
set(rows ${CMAKE_MATCH_1})
set(loaded ${CMAKE_MATCH_2})
set(rejected ${CMAKE_MATCH_3})
set(merged ${CMAKE_MATCH_4})
set(member ${CMAKE_MATCH_5})
set(outsider ${CMAKE_MATCH_6})
set(db ${WORK}/list.sqlite)
set(key_args)
if(KEYED)
  file(WRITE ${WORK}/list.key "generated-list-key-0123456789\n")
  set(key_args --hash-key-file ${WORK}/list.key)
endif()

function(run expect_exit expect_text)
  execute_process(COMMAND ${CLI} blacklist ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expect_exit)
    message(FATAL_ERROR "eligo blacklist ${ARGN}: exit ${rc}, expected ${expect_exit}\n${out}\n${err}")
  endif()
  string(FIND "${out}" "${expect_text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "eligo blacklist ${ARGN}: output lacks '${expect_text}':\n${out}\n${err}")
  endif()
  # No full ID number may appear in clear text (R8).
  string(FIND "${out}${err}" "${member}" leaked)
  if(NOT leaked EQUAL -1)
    message(FATAL_ERROR "eligo blacklist ${ARGN}: a full ID number in the output:\n${out}\n${err}")
  endif()
  message(STATUS "eligo blacklist ${ARGN}:\n${out}")
endfunction()

# Rows with bad rows among them: exit 1, the rest stored.
run(1 "${rows} rows: ${loaded} loaded, ${rejected} rejected, ${merged} merged" import ${list} --db ${db} ${key_args})
string(SUBSTRING ${member} 0 6 head)
string(SUBSTRING ${member} 14 4 tail)
run(0 "${head}********${tail}: listed for scope points on 2024-06-01, 1 entry" check ${member} --scope points
    --as-of 2024-06-01 --db ${db} ${key_args})
run(0 "not listed for scope points" check ${outsider} --scope points --as-of 2024-06-01 --db ${db} ${key_args})
run(0 ": ${loaded} entries, ${loaded} subjects" stats --db ${db})
# Importing the same file again merges every good row into the stored list.
math(EXPR again_merged "${loaded} + ${merged}")
run(1 "${rows} rows: 0 loaded, ${rejected} rejected, ${again_merged} merged" import ${list} --db ${db} ${key_args})
