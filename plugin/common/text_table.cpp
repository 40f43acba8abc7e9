#include "common/text_table.h"

#include <algorithm>

namespace ordercare {

namespace {

bool is_control(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

// Code points, not bytes: continuation bytes (10xxxxxx) do not count.
std::size_t width_of(std::string_view line) {
  return static_cast<std::size_t>(
      std::count_if(line.begin(), line.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::vector<std::string> lines_of(const std::string &cell) {
  std::vector<std::string> out(1);
  for (const char ch : cell) {
    if (ch == '\n')
      out.emplace_back();
    else
      out.back() += is_control(static_cast<unsigned char>(ch)) ? ' ' : ch;
  }
  return out;
}

void append_line(std::string &out, const std::vector<std::string> &cells, const std::vector<std::size_t> &widths) {
  out += '|';
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string &cell = i < cells.size() ? cells[i] : std::string();
    out += ' ';
    out += cell;
    out.append(widths[i] - width_of(cell), ' ');
    out += " |";
  }
  out += '\n';
}

void append_row(std::string &out, const std::vector<std::string> &row, const std::vector<std::size_t> &widths) {
  std::vector<std::vector<std::string>> cells;
  std::size_t height = 1;
  for (const auto &cell : row) {
    cells.push_back(lines_of(cell));
    height = std::max(height, cells.back().size());
  }
  for (std::size_t line = 0; line < height; ++line) {
    std::vector<std::string> parts;
    for (const auto &cell : cells) parts.push_back(line < cell.size() ? cell[line] : std::string());
    append_line(out, parts, widths);
  }
}

std::string html_cell(const std::string &cell) {
  std::string out;
  for (const auto &line : lines_of(cell)) out += (out.empty() ? "" : "<br>") + html_escape(line);
  return out;
}

}  // namespace

std::string render_text(const TextTable &table) {
  std::size_t columns = table.header.size();
  for (const auto &row : table.rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> widths(columns, 0);
  auto measure = [&](const std::vector<std::string> &row) {
    for (std::size_t i = 0; i < row.size(); ++i)
      for (const auto &line : lines_of(row[i])) widths[i] = std::max(widths[i], width_of(line));
  };
  measure(table.header);
  for (const auto &row : table.rows) measure(row);
  std::string out;
  append_row(out, table.header, widths);
  out += '|';
  for (const std::size_t w : widths) out += std::string(w + 2, '-') + '|';
  out += '\n';
  for (const auto &row : table.rows) append_row(out, row, widths);
  return out;
}

std::string render_html(const TextTable &table) {
  std::string out = "<table>\n<thead><tr>";
  for (const auto &cell : table.header) out += "<th>" + html_cell(cell) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto &row : table.rows) {
    out += "<tr>";
    for (const auto &cell : row) out += "<td>" + html_cell(cell) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n':
      case '\t': out += ch; break;
      default:
        if (!is_control(static_cast<unsigned char>(ch))) out += ch;
    }
  }
  return out;
}

}  // namespace ordercare
