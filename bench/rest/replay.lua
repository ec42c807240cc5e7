-- wrk script: replays pre-signed requests (bench/rest/SignedRequests.java). Each thread takes every
-- n-th line of the file, so no nonce is ever sent twice. Every response that is not 202 is counted.
--   wrk -t2 -c64 -d30s -s replay.lua http://127.0.0.1:8080 -- FILE THREADS
local counter = 0
local all = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(all, thread)
end

function init(args)
  local nthreads = tonumber(args[2])
  reqs = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == id then
      local nonce, ts, sig, body = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)")
      reqs[#reqs + 1] = wrk.format("POST", "/api/v1/ratings", {
        ["Content-Type"] = "application/json",
        ["X-HCP-AppKey"] = appkey or "demo",
        ["X-HCP-Timestamp"] = ts,
        ["X-HCP-Nonce"] = nonce,
        ["X-HCP-Signature"] = sig,
      }, body)
    end
    i = i + 1
  end
  idx = 0
  not202 = 0
end

function request()
  idx = idx + 1
  if idx > #reqs then
    -- out of pre-signed requests: stop this thread's load by repeating the last (it will be refused)
    idx = #reqs
  end
  return reqs[idx]
end

function response(status, headers, body)
  if status ~= 202 then
    not202 = not202 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(all) do
    total = total + t:get("not202")
  end
  io.write(string.format("responses other than 202: %d\n", total))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
