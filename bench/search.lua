-- Full-text search: cycles through a list of queries, each thread from its own place in it.
-- Arguments: URL_TEMPLATE QUERIES_FILE, where URL_TEMPLATE holds %s for the URL-encoded query.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

local template, queries, next_query = "/", {}, 1
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  template = args[1]
  for line in io.lines(args[2]) do
    if #line > 0 then
      queries[#queries + 1] = encode(line)
    end
  end
  next_query = ((tonumber(index) or 1) - 1) * 97 % #queries + 1
end

function request()
  local q = queries[next_query]
  next_query = next_query % #queries + 1
  return wrk.format("GET", (template:gsub("%%s", function() return q end)))
end
