# Debian packages with CPack's DEB generator, one per install component (scripts/package builds them):
#
#   component  package         contents
#   lib        libeligo        libeligo_c.so.0 (the C API; the C++ library is linked into it, hidden), and
#                              libeligo.so.0 when configured with BUILD_SHARED_LIBS=ON
#   dev        libeligo-dev    include/eligo, libeligo.a (static C++ library), libeligo_c.so, CMake config,
#                              eligo.pc
#   cli        eligo           /usr/bin/eligo and /usr/bin/eligo-server (with its commented example config in
#                              /usr/share/doc/eligo/examples/server; no systemd unit or /etc config yet)
#   python     python3-eligo   the eligo package for Debian's /usr/bin/python3, in /usr/lib/python3/dist-packages
#   rules      eligo-rules     the bundled packs with their cases, /usr/share/eligo/rules
#
# The packages are made from the already-built tree (cpack runs the install rules into a staging folder):
# no second build. Dependencies on Debian libraries come from dpkg-shlibdeps (what is actually linked).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME eligo)
set(CPACK_PACKAGE_VENDOR "eligo")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "eligo maintainers <eligo@example.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev cli rules)
if(ELIGO_BUILD_PYTHON)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)  # keep in step with cmake/debian/changelog
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://eligo.invalid/")
set(eligo_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libeligo)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_DESCRIPTION "eligo rules and scoring: shared libraries
eligo compiles rule packs (eligibility conditions and points tables
written as JSON by policy staff) into immutable evaluators that verify
and score applicants, with reasons in Chinese or English.

This package holds the shared C API library libeligo_c.")
# ldconfig by trigger (lintian: lacks-ldconfig-trigger); CPack's own postinst still calls it too.
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/debian/triggers)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libeligo-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The static C++ library needs its dependencies' development files (eligoConfig.cmake finds them).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libeligo (= ${eligo_deb_version}), nlohmann-json3-dev (>= 3.10), libssl-dev, libicu-dev, libsqlite3-dev, libxlsxwriter-dev, libminizip-dev, libexpat1-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "eligo rules and scoring: development files
Headers (include/eligo: the C API eligo.h and the C++ API), the static
C++ library, the CMake package (find_package(eligo): eligo::eligo,
eligo::eligo_c) and the pkg-config file (eligo) for the C API.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME eligo)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS "eligo-rules")
# /etc/eligo/server.json is a conffile: an operator's edits survive upgrades (cmake/service/ installs it).
set(CPACK_DEBIAN_CLI_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles)
set(CPACK_DEBIAN_CLI_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_CLI_DESCRIPTION "eligo rules and scoring: command-line tool and HTTP server
eligo check, eval, test, id, blacklist and reconcile: compile rule packs,
evaluate applicants from JSON, CSV or xlsx, run a pack's cases, check
Chinese ID numbers, manage credit blacklists and reconcile payout orders
with bank records. eligo-server serves rule packs over HTTP with API
keys, hot reload, data sources and a hash-chained decision log.
The systemd unit eligo-server.service (not enabled on install: systemctl
enable --now eligo-server) serves /usr/share/eligo/rules on 127.0.0.1:8080
from /etc/eligo/server.json. Apache ECharts is included for the dashboard.")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-eligo)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
# The extension is built for one Python version (the one /usr/bin/python3 was at build time).
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${eligo_py_next_minor})")
set(CPACK_DEBIAN_PYTHON_PACKAGE_RECOMMENDS "python3-pandas")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SUGGESTS "python3-dask, python3-distributed, eligo-rules")
set(CPACK_DEBIAN_PYTHON_DESCRIPTION "eligo rules and scoring: Python 3 module
import eligo: compile rule packs, evaluate applicants one by one or as
pandas DataFrames on all cores, with Dask for larger batches.")

set(CPACK_DEBIAN_RULES_PACKAGE_NAME eligo-rules)
set(CPACK_DEBIAN_RULES_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_RULES_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_RULES_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_RULES_DESCRIPTION "eligo rules and scoring: bundled rule packs
The rule packs shipped with eligo, each with its test cases, in
/usr/share/eligo/rules: the major-illness subsidy, the Guangzhou migrant
points table (2018 and 2021 versions) and Yuexiu school places by points.
Run their cases with: eligo test /usr/share/eligo/rules/*")

include(CPack)
