# Conan recipe for eligo, a faithful mirror of the CMake build (options, dependencies, targets).
# UNVERIFIED: Conan cannot be installed on the project's machines (PyPI is unreachable), so this recipe has
# never been run; the CMake build, `cmake --install` + find_package and the Debian packages (all tested in
# CTest) are the reference. Keep it in step with CMakeLists.txt (options) and cmake/eligoConfig.cmake.in
# (dependencies) whenever those change; conan/README.md lists what it mirrors.
import os

from conan import ConanFile
from conan.tools.files import copy
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout


class EligoConan(ConanFile):
    name = "eligo"
    version = "0.1.0"
    license = "proprietary"
    description = "Rules and scoring for government benefit and points portals"
    settings = "os", "compiler", "build_type", "arch"
    # cli: the eligo command (ELIGO_BUILD_CLI); server: eligo-server (ELIGO_BUILD_SERVER, needs Boost.Beast).
    # The Python module, tests, benches and fuzz targets are development builds, not packaged by Conan.
    options = {"shared": [True, False], "fPIC": [True, False], "cli": [True, False], "server": [True, False]}
    default_options = {"shared": False, "fPIC": True, "cli": True, "server": False}
    def export_sources(self):
        # The recipe lives in conan/; the sources are the repository around it. web/: the dashboard page
        # compiled into the CLI and the server; rules/: the bundled packs (installed); examples/server: the
        # server's example configuration (installed with it).
        root = os.path.join(self.recipe_folder, "..")
        for pattern in ("CMakeLists.txt", "cmake/*", "include/*", "src/*", "data/*", "web/dashboard.*", "rules/*",
                        "examples/server/*"):
            copy(self, pattern, root, self.export_sources_folder)

    def requirements(self):
        # The versions Debian 12 ships, which the CMake build is tested with.
        self.requires("nlohmann_json/3.11.2")
        self.requires("openssl/3.0.13")
        self.requires("icu/72.1")
        self.requires("sqlite3/3.40.1")        # the record reader's db.sqlite:table inputs, blacklist store
        self.requires("libxlsxwriter/1.1.5")   # xlsx outputs (payout, batch, admission, review)
        self.requires("minizip/1.2.13")        # xlsx inputs: the zip container
        self.requires("expat/2.5.0")           # xlsx inputs: the sheet XML
        if self.options.server:
            self.requires("boost/1.74.0")      # Beast and Asio, header-only use

    def layout(self):
        cmake_layout(self)

    def generate(self):
        tc = CMakeToolchain(self)
        # Mirrors the CMake options: a package build has no tests, benches, fuzz targets or Python module.
        tc.variables["ELIGO_BUILD_TESTS"] = False
        tc.variables["ELIGO_BUILD_BENCH"] = False
        tc.variables["ELIGO_BUILD_FUZZ"] = False
        tc.variables["ELIGO_BUILD_PYTHON"] = False
        tc.variables["ELIGO_BUILD_CLI"] = self.options.cli
        tc.variables["ELIGO_BUILD_SERVER"] = self.options.server
        tc.variables["ELIGO_INSTALL"] = True
        tc.variables["BUILD_SHARED_LIBS"] = self.options.shared
        # Apache ECharts (the dashboard's charts) comes from npm, not Conan: point ELIGO_ECHARTS_JS at an
        # echarts.min.js at run time, or the dashboard says it is missing (docs/dashboard.md).
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "eligo")
        self.cpp_info.components["eligo"].set_property("cmake_target_name", "eligo::eligo")
        self.cpp_info.components["eligo"].libs = ["eligo"]
        self.cpp_info.components["eligo"].requires = [
            "nlohmann_json::nlohmann_json", "openssl::crypto", "icu::icu-uc", "icu::icu-i18n",
            "sqlite3::sqlite3", "libxlsxwriter::libxlsxwriter", "minizip::minizip", "expat::expat"]
        # The C API, a shared library carrying the C++ library inside (include/eligo/eligo.h).
        self.cpp_info.components["eligo_c"].set_property("cmake_target_name", "eligo::eligo_c")
        self.cpp_info.components["eligo_c"].set_property("pkg_config_name", "eligo")
        self.cpp_info.components["eligo_c"].libs = ["eligo_c"]
