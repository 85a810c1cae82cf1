# Conan recipe for eligo, a faithful mirror of the CMake build (options, dependencies, targets).
# UNVERIFIED: Conan cannot be installed on the project's machines (PyPI is unreachable), so this recipe has
# never been run; the CMake build and `cmake --install` + find_package (tested in CTest) are the reference.
from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout


class EligoConan(ConanFile):
    name = "eligo"
    version = "0.1.0"
    license = "proprietary"
    description = "Rules and scoring for government benefit and points portals"
    settings = "os", "compiler", "build_type", "arch"
    options = {"shared": [True, False], "fPIC": [True, False], "cli": [True, False]}
    default_options = {"shared": False, "fPIC": True, "cli": True}
    exports_sources = ("CMakeLists.txt", "cmake/*", "include/*", "src/*", "data/*")

    def requirements(self):
        # The versions Debian 12 ships, which the CMake build is tested with.
        self.requires("nlohmann_json/3.11.2")
        self.requires("openssl/3.0.13")
        self.requires("icu/72.1")

    def layout(self):
        cmake_layout(self)

    def generate(self):
        tc = CMakeToolchain(self)
        # Mirrors the CMake options: a package build has no tests or benches.
        tc.variables["ELIGO_BUILD_TESTS"] = False
        tc.variables["ELIGO_BUILD_BENCH"] = False
        tc.variables["ELIGO_BUILD_CLI"] = self.options.cli
        tc.variables["ELIGO_INSTALL"] = True
        tc.variables["BUILD_SHARED_LIBS"] = self.options.shared
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure(source_folder=self.source_folder + "/..")
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "eligo")
        self.cpp_info.set_property("cmake_target_name", "eligo::eligo")
        self.cpp_info.libs = ["eligo"]
        self.cpp_info.requires = ["nlohmann_json::nlohmann_json", "openssl::crypto", "icu::icu-uc", "icu::icu-i18n"]
