# Installing Enlace (`cmake --install build --prefix /usr/local`) and its Debian package
# (`cpack -G DEB --config build/CPackConfig.cmake`): the program, the web page with the npm files
# it serves, the systemd unit, the deployment guide and the licences of what the page ships.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/deploy.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/nginx/enlace.conf DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        RENAME nginx-enlace.conf)

# The unit names the program by its full path under the prefix of the install that writes it.
install(CODE "
  set(ENLACE_BINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  set(ENLACE_DOCDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}\")
  set(ENLACE_UNIT_TEMPLATE \"${CMAKE_CURRENT_LIST_DIR}/enlace.service.in\")
  set(ENLACE_UNIT_STAGING \"${CMAKE_BINARY_DIR}/packaging/enlace.service\")
  include(\"${CMAKE_CURRENT_LIST_DIR}/install_unit.cmake\")
")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME enlace)
set(CPACK_PACKAGE_VENDOR "Enlace")
set(CPACK_PACKAGE_CONTACT "Enlace maintainers <enlace@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Registry and map of protection services, actors and good practices for migrant children")
set(CPACK_PACKAGE_DESCRIPTION
    "Enlace keeps the RCM's registry of specialised protection services, actors and good practices for
migrant children and adolescents, and serves it as a REST/GeoJSON API, OGC API - Features and a web
map for caseworkers. Sensitive sites are only ever shown to the public at a coarsened place.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The install runs with DESTDIR and the final prefix, so the unit names /usr/bin/enlace.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "chromium")
set(CPACK_STRIP_FILES ON)
include(CPack)
