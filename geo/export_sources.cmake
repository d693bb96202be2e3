set(ENLACE_GEO_EXPORT_SOURCES
  src/export_columns.cpp
  src/export_dispatch.cpp
  src/export_hsds.cpp
  src/export_hxl.cpp
  src/export_json.cpp
  src/export_ogr.cpp
)
