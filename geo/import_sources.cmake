set(ENLACE_GEO_IMPORT_SOURCES
  src/field_mapping.cpp
  src/import_records.cpp
  src/importer.cpp
  src/name_key.cpp
  src/row_reader.cpp
  src/seen_ids.cpp
)
