-- wrk script for scripts/bench: signed Shopify orders/create webhooks over
-- keep-alive connections.
--
-- The bodies and their X-Shopify-Hmac-Sha256 signatures are computed before
-- the run (scripts/bench writes them, one "<signature>\t<body>" a line, to
-- the file named by WRK_BODIES): Shopify's HMAC covers the body only, so a
-- signature stays valid whatever the headers say. Each request still gets a
-- delivery of its own: X-Shopify-Event-Id (the dedupe key, not signed) is
-- unique per request ("<thread>-<counter>"), but ordercare dedupes Shopify
-- deliveries on what the signature covers (the order's id and updated_at),
-- so each body is a new event only once: each of the WRK_THREADS threads
-- takes its own slice of the bodies, and a thread that has sent all of its
-- slice starts again (those requests are cheaper duplicates, counted as
-- "repeats" in the result line; scripts/bench writes enough bodies for its
-- default run).
--
-- WRK_SHOP names the shop (its secret signed the bodies). The last line
-- printed is machine-readable: "wrk-result: rps=<n> p99_ms=<n> ...".

local bodies = {}  -- this thread's slice
local counter = 0
repeats = 0  -- global, so done() can read it from each thread
-- thread_id is set per thread by setup() (thread:set makes it a global there).

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("WRK_BODIES")
  local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
  local file = assert(io.open(path, "r"), "cannot open WRK_BODIES=" .. tostring(path))
  local index = 0
  for line in file:lines() do
    local tab = line:find("\t", 1, true)
    if tab then
      if index % thread_count == (thread_id - 1) % thread_count then
        table.insert(bodies, { signature = line:sub(1, tab - 1), body = line:sub(tab + 1) })
      end
      index = index + 1
    end
  end
  file:close()
  assert(#bodies > 0, "no bodies for thread " .. thread_id .. " in " .. path)
end

local shop = os.getenv("WRK_SHOP") or "bench.myshopify.com"

function request()
  counter = counter + 1
  if counter > #bodies then repeats = repeats + 1 end
  local item = bodies[((counter - 1) % #bodies) + 1]
  local id = tostring(thread_id) .. "-" .. tostring(counter)
  return wrk.format("POST", "/webhooks/shopify", {
    ["Content-Type"] = "application/json",
    ["X-Shopify-Topic"] = "orders/create",
    ["X-Shopify-Shop-Domain"] = shop,
    ["X-Shopify-Hmac-Sha256"] = item.signature,
    ["X-Shopify-Event-Id"] = "bench-" .. id,
    ["X-Shopify-Webhook-Id"] = "bench-wh-" .. id,
    ["X-Shopify-Triggered-At"] = "2026-03-19T14:00:00Z",
  }, item.body)
end

non200 = 0  -- global, so done() can read it from each thread
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local errors, repeated = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + (thread:get("non200") or 0)
    repeated = repeated + (thread:get("repeats") or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "wrk-result: rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non200=%d repeats=%d socket_errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors, repeated,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
