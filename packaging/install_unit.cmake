# Run by `cmake --install` (and by CPack): writes the systemd unit with the program's path under
# the prefix being installed to, which is known only now (CPack installs to /usr).
configure_file(${ENLACE_UNIT_TEMPLATE} ${ENLACE_UNIT_STAGING} @ONLY)
file(INSTALL ${ENLACE_UNIT_STAGING} DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
