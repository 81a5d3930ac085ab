-- Seeking in a video: each request asks for 1 MiB starting at a random byte of the file.
-- Arguments: PATH SIZE. Each thread has its own fixed seed, so every run asks the same ranges.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

local path, size, span = "/", 0, 1048576
function init(args)
  path = args[1]
  size = tonumber(args[2])
  math.randomseed(tonumber(seed) or 1)
end

function request()
  local first = math.random(0, size - span)
  return wrk.format("GET", path, { ["Range"] = string.format("bytes=%d-%d", first, first + span - 1) })
end

