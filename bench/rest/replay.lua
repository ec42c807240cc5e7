-- wrk script: replays pre-signed requests (bench/rest/SignedRequests.java). Each thread takes every
-- n-th line of the file, so no nonce is sent twice while the file lasts; when a thread has sent all
-- of its lines it starts again from its first, and the gateway refuses those replays (a signed
-- request is good once): they count as "other than 202", which says the file was too short.
-- Against bench/rest/BareUndertow.java (which ignores the headers) a short file is simply cycled.
--   wrk -t2 -c64 -d30s --latency -s replay.lua http://127.0.0.1:8080 -- FILE THREADS APPKEY
local counter = 0
local all = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(all, thread)
end

function init(args)
  local nthreads = tonumber(args[2])
  local appkey = args[3] or "demo"
  reqs = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then
      local nonce, ts, sig, body = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)")
      reqs[#reqs + 1] = wrk.format("POST", "/api/v1/ratings", {
        ["Content-Type"] = "application/json",
        ["X-HCP-AppKey"] = appkey,
        ["X-HCP-Timestamp"] = ts,
        ["X-HCP-Nonce"] = nonce,
        ["X-HCP-Signature"] = sig,
      }, body)
    end
    i = i + 1
  end
  idx = 0
  not202 = 0
  wrapped = 0
end

function request()
  idx = idx + 1
  if idx > #reqs then
    idx = 1
    wrapped = wrapped + 1
  end
  return reqs[idx]
end

function response(status, headers, body)
  if status ~= 202 then
    not202 = not202 + 1
  end
end

function done(summary, latency, requests)
  local total, wraps = 0, 0
  for _, t in ipairs(all) do
    total = total + t:get("not202")
    wraps = wraps + t:get("wrapped")
  end
  local e = summary.errors
  io.write(string.format("responses other than 202: %d; socket errors: connect %d, read %d, write %d, timeout %d; file wrapped %d times\n",
    total, e.connect, e.read, e.write, e.timeout, wraps))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("RESULT wrk requests=%d seconds=%.3f rate=%.0f not202=%d sockerr=%d p50=%.2f p99=%.2f p999=%.2f max=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
