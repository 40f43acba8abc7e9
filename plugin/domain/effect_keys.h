// Idempotency keys, unique by construction: parts joined by ':' with every
// ':' (and '%') inside a part escaped, so two different tuples never make
// one key. Each kind of key has its own number of parts, or a fixed word
// where two owners would otherwise line up: refund:<return>:<n> and
// refund:order:<order>:<n>, inventory:<return>:<line> and
// inventory:<count event>, inventory:transfer:<transfer>:out|in:<sku>, notify:<case>:<purpose>:<cause>,
// lookup_order:<order>. (A return id equal to another order's id gave two
// refunds one key before.)
#pragma once

#include <initializer_list>
#include <string>

namespace ordercare::domain {

std::string effect_key(std::initializer_list<std::string> parts);

}  // namespace ordercare::domain
