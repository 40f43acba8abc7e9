// CSV as RFC 4180 writes it, for exports an operator opens in a
// spreadsheet: fields quoted when needed, and a leading = + - @ neutralised
// so a customer's text can never become a formula.
#pragma once

#include <string>
#include <vector>

namespace ordercare {

std::string csv_field(const std::string &value);
std::string csv_row(const std::vector<std::string> &fields);

}  // namespace ordercare
