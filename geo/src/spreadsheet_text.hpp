#pragma once
// Text cells of CSV files that people open in a spreadsheet. Excel, LibreOffice and Google Sheets
// read a cell starting with = + - @ (or a tab or carriage return before them) as a formula, so a
// record named "=HYPERLINK(...)" would run in the compiler's spreadsheet ("CSV injection"). Such a
// cell is written with a leading apostrophe, which spreadsheets take as "this is text", and an
// import of a CSV file takes that apostrophe away again, so an exported file imports back
// unchanged. Plain numbers (-90.51) are left as they are: a spreadsheet reads them as numbers.
#include <string>
#include <string_view>

namespace enlace::geo::detail {

/// `text` as a CSV cell: with a leading ' when a spreadsheet would read it as a formula, or when it
/// starts with ' itself (so that the import, which drops one, gives `text` back).
std::string spreadsheet_safe(std::string_view text);

/// The text of a CSV cell as stored: without the leading ' that spreadsheet_safe adds. Only a guard
/// it could have added is taken away, so "'Casa'" (quoted in the source) stays as it is.
std::string_view without_spreadsheet_guard(std::string_view cell);

} // namespace enlace::geo::detail
