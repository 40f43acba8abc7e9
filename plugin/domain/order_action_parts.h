// What the order-action files share, inside plugin/domain/ only: the
// ledger's arithmetic and words, and asking for a booked action
// (order_actions.h is the face to the rest of the plugin).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/case_work.h"

namespace ordercare::domain {

// What an order's offers that stand add up to, in its minor units.
std::int64_t committed_offers(const Order &order);

// "1 x Mug (SKU-MUG)", and "for <new sku>" for an exchange; the names alone.
std::string lines_text(const std::vector<ActionLine> &lines);
std::string item_names(const std::vector<ActionLine> &lines);
std::string offer_words(const std::string &offer);

// The action in a sentence, for the team's task and the case log. Without
// its reason, which may be an agent's or a customer's words and is kept
// sealed apart.
std::string action_summary(const OrderAction &a, const Order &order);

// Asks for a booked action: of the host, or of a team when the host has no
// order_action callback.
void ask_for_action(CaseWork &work, CaseRecord &c, OrderAction &a);

// The working copy of one of the snapshot's cases, by id.
CaseRecord *case_in(CaseWork &work, const std::optional<std::string> &id);

// The lines a case is about: its SKUs' lines, or the only line of the order.
std::vector<ActionLine> lines_of_case(const Order &order, const CaseRecord &c);

}  // namespace ordercare::domain
