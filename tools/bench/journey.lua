-- wrk script: one connection per thread, each thread one person.
-- MODE (set in init from the arguments after "--"):
--   get      GET the same address, with this thread's session cookie if any
--   answer   real journeys: "Start now" (new session), then each answer
--            posted to the address the previous answer was sent on to;
--            after the last answer the session is dropped and a new
--            journey begins.
-- Arguments: mode, path, then for "answer" the answers as
-- "name=value&name=value" strings, one per question, in order;
-- for "get" an optional file of cookies, one line per thread, each
-- "cookie" or "cookie<TAB>path" (that person's own address for the page).

local mode, path, answers, cookies = nil, nil, {}, {}
local csrf = "benchbenchbenchbenchbenchbench12"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local session, next_path, step

function init(args)
  mode, path = args[1], args[2]
  if mode == "answer" then
    for i = 3, #args do
      answers[#answers + 1] = args[i]
    end
  elseif args[3] then
    local n = 0
    for line in io.lines(args[3]) do
      n = n + 1
      cookies[n] = line
    end
    -- "cookie" or "cookie<TAB>path": this thread's person, and their own address
    local line = cookies[((id - 1) % n) + 1]
    local cookie, own_path = line:match("^([^\t]+)\t(.+)$")
    if cookie then
      session, path = cookie, own_path
    else
      session = line
    end
  end
  step = 0
end

local function cookie_header()
  local value = "csrftoken=" .. csrf
  if session then
    value = value .. "; " .. session
  end
  return value
end

function request()
  local headers = { ["Cookie"] = cookie_header(), ["Accept-Encoding"] = "br, gzip" }
  if mode == "get" then
    return wrk.format("GET", path, headers)
  end
  if step == 0 then
    session = nil
    headers["Cookie"] = cookie_header()
    return wrk.format("GET", "/en/screener/begin/", headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = answers[step] .. "&csrfmiddlewaretoken=" .. csrf
  return wrk.format("POST", next_path, headers, body)
end

function response(status, headers, body)
  if mode ~= "answer" then
    return
  end
  local set = headers["Set-Cookie"]
  if set then
    local cookie = set:match("(sessionid=[a-z0-9]+)")
    if cookie then
      session = cookie
    end
  end
  local location = headers["Location"]
  if status ~= 302 or not location then
    step = 0 -- something went wrong: start a new journey
    return
  end
  next_path = location:gsub("^https?://[^/]+", "")
  step = step + 1
  if step > #answers then
    step = 0
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  out:close()
end
