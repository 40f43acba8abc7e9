# The PostgreSQL server that one ctest run shares, as the fixture "postgres":
# ctest starts it (tests/support/pg_fixture.sh) before the first test that
# requires it and stops it after the last. A test that needs it takes
# ${OC_PG_TEST_PROPERTIES} among its properties and finds the server with
# test_pg_url() (tests/support/pg_server.h):
#
#   gtest_discover_tests(report_store_pg_test DISCOVERY_MODE PRE_TEST
#     PROPERTIES LABELS store ${OC_PG_TEST_PROPERTIES})
#
# The URL file's path goes in ENVIRONMENT_MODIFICATION rather than in
# ENVIRONMENT, which tests/CMakeLists.txt already sets: gtest_discover_tests
# (CMake 3.25) flattens a list value, so ENVIRONMENT can carry one variable.

function(oc_add_pg_fixture)
  set(dir ${CMAKE_BINARY_DIR}/pg)
  set(script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/support/pg_fixture.sh)
  set(OC_TEST_PG_URL_FILE ${dir}/url CACHE INTERNAL "The URL of the shared PostgreSQL server of a ctest run")
  set(OC_PG_TEST_PROPERTIES FIXTURES_REQUIRED postgres
    ENVIRONMENT_MODIFICATION "OC_TEST_PG_URL_FILE=set:${dir}/url"
    CACHE INTERNAL "Test properties for a test that uses the shared PostgreSQL server")

  add_test(NAME pg_server_start COMMAND ${script} start ${dir})
  add_test(NAME pg_server_stop COMMAND ${script} stop ${dir})
  set_tests_properties(pg_server_start PROPERTIES FIXTURES_SETUP postgres LABELS postgres TIMEOUT 120)
  set_tests_properties(pg_server_stop PROPERTIES FIXTURES_CLEANUP postgres LABELS postgres TIMEOUT 60)
endfunction()
