-- wrk script: each request takes the next path from the file named by BENCH_PATHS
-- (one path per line), so a run can rotate over search terms, records or filters.
-- At the end it prints one JSON line with the figures the driver keeps.

local paths = {}
local counter = 0

local function load()
  local file = os.getenv("BENCH_PATHS")
  for line in io.lines(file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
end

-- Threads start at different places in the list.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end

function init(args)
  load()
  counter = (offset or 0) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
      .. '"errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
