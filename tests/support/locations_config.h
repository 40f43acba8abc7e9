// The store the store-side tests share (seed 004's coordination): Berlin
// Mitte, on Berlin time, closing at 20:00, with its own team.
#pragma once

#include "common/json.h"

namespace ordercare::testing {

inline Json berlin_store() {
  return {{"kind", "store"},
          {"name", "Berlin Mitte"},
          {"time_zone", "Europe/Berlin"},
          {"closes_at", "20:00"},
          {"team", "store-berlin"}};
}

}  // namespace ordercare::testing
