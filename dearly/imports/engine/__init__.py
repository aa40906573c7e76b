"""The import engine: read a file (sources), map its columns (mapping), validate rows
(validation, fastpaths), decide what each row does (matching) and write chunks (writer, db_*).
The web wizard, the command line and the benchmark all drive it through runner."""
