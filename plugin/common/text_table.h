// Tables for the human forms of reports and queues: the same rows rendered
// as aligned plain text (the pipe tables of the seeds' templates) or as an
// HTML table with every cell escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ordercare {

struct TextTable {
  std::vector<std::string> header;
  // A cell may hold several lines ("\n"); the row then grows downwards.
  std::vector<std::vector<std::string>> rows;
};

// "| Metric | Goal  |\n|--------|-------|\n| FRT    | < 10m |\n": every
// column padded to its widest line, counted in code points (wide CJK
// characters count as one). Control characters in cells become spaces so
// stored text cannot break the layout or reach a terminal.
std::string render_text(const TextTable &table);

// <table> with a <thead> and a <tbody>; line breaks in a cell become <br>.
std::string render_html(const TextTable &table);

// & < > " ' escaped, control characters (but \n and \t) dropped.
std::string html_escape(std::string_view text);

}  // namespace ordercare
