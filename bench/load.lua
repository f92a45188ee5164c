-- wrk script for bench/load.py: one typist per thread (run wrk with as many threads as
-- connections), so that a thread's state is its connection's. Each typist saves its own answer
-- over and over, each save with the version the previous reply gave, as the page does.
--
-- BENCH_TYPISTS names a file with one typist a line, tab-separated:
--   path  cookie  csrf-token  version  round  text (form-encoded, spaces as "+")
-- The saved text is the typist's text followed by " <round>n<seq>": bench/load.py reads the
-- answers back afterwards and checks that each holds the last text its typist sent.

local typists = {}
local threads = {}

do
  local file = assert(io.open(os.getenv("BENCH_TYPISTS"), "r"))
  for line in file:lines() do
    local path, cookie, csrf, version, round, text =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    table.insert(typists, {path, cookie, csrf, version, round, text})
  end
  file:close()
end

function setup(thread)
  local index = #threads + 1
  local typist = typists[index]
  thread:set("index", index)
  thread:set("path", typist[1])
  thread:set("cookie", typist[2])
  thread:set("csrf", typist[3])
  thread:set("version", tonumber(typist[4]))
  thread:set("round", typist[5])
  thread:set("text", typist[6])
  thread:set("sent", 0)
  thread:set("acked", 0)
  thread:set("ok", 0)
  thread:set("refused", 0)
  table.insert(threads, thread)
end

local headers

function init(args)
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["HX-Request"] = "true",
  }
  if cookie ~= "" then
    headers["Cookie"] = cookie
    headers["X-CSRFToken"] = csrf
  end
end

function request()
  sent = sent + 1
  local body = "text=" .. text .. "+" .. round .. "n" .. sent .. "&version=" .. version
  return wrk.format("POST", path, headers, body)
end

function response(status, _, body)
  if status == 200 then
    ok = ok + 1
    acked = sent
    version = tonumber(body:match('name="version" value="(%d+)"')) or version + 1
  else
    refused = refused + 1
    -- A conflict gives the version saved meanwhile: take it, so that one stale save is
    -- counted once rather than failing every save after it.
    local theirs = body:match('name="conflict_version" value="(%d+)"')
    if theirs then
      version = tonumber(theirs)
    end
  end
end

function done(summary, latency, _)
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%d p95=%d p99=%d max=%d connect_errors=%d "
      .. "read_errors=%d write_errors=%d timeouts=%d status_errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status
  ))
  for _, thread in ipairs(threads) do
    io.write(string.format(
      "TYPIST %d sent=%d acked=%d ok=%d refused=%d version=%d\n",
      thread:get("index"), thread:get("sent"), thread:get("acked"), thread:get("ok"),
      thread:get("refused"), thread:get("version")
    ))
  end
end
