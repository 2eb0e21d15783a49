# `cpack -G DEB` (from the build directory): one Debian package, tapstudio,
# with everything `cmake --install` puts under /usr. Shared-library
# dependencies come from dpkg-shlibdeps; what tstap runs or includes at run
# time is listed by hand: clang compiles the generated C (pass 4) against
# libbpf's and the kernel's headers.
set(CPACK_PACKAGE_NAME tapstudio)
set(CPACK_PACKAGE_VENDOR "TapStudio")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SystemTap-compatible tracing with BPF, and an IDE for it")
set(CPACK_PACKAGE_DESCRIPTION "TapStudio runs SystemTap scripts as BPF programs: tstap is a stap-compatible
command line (passes 1-5, -l/-L listings, --json output and an LSP language
server for editors); tapstudio is a Qt desktop IDE with completion,
diagnostics while typing, a probe catalogue, graphs and dashboards.")
set(CPACK_PACKAGE_CONTACT "TapStudio developers <tapstudio@example.org>")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "clang, libbpf-dev, linux-libc-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "pkexec | sudo")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://tapstudio.invalid")

# What Debian's policy asks of every package's documentation folder.
set(_doc ${PROJECT_BINARY_DIR}/packaging)
add_custom_command(OUTPUT ${_doc}/changelog.gz
  COMMAND gzip -9n -c ${CMAKE_CURRENT_LIST_DIR}/changelog > ${_doc}/changelog.gz
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/changelog)
add_custom_target(package_changelog ALL DEPENDS ${_doc}/changelog.gz)
install(FILES ${_doc}/changelog.gz ${CMAKE_CURRENT_LIST_DIR}/copyright DESTINATION share/doc/tapstudio)

include(CPack)
