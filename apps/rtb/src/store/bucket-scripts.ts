import { LuaScript } from './lua-script';

/** Bytes per tag in a bucket string: origin id, brand id, category id (uint32 each), price (int32). */
export const RECORD_BYTES = 16;
/** Arguments per tag in APPLY_SCRIPT's ARGV, after the fixed ones. */
export const APPLY_FIELDS_PER_TAG = 7;

/**
 * Applies a batch of stream entries exactly once. For each entry it XACKs first; only an entry
 * this call acknowledged (XACK returned 1) is appended, so an entry two aggregators both hold
 * (one slow, one that claimed it) counts once, whoever comes second. Being one script, the
 * acknowledgement and the append cannot be separated by a crash.
 *
 * A tag is appended to its minute's bucket string `<prefix><minute>:<V|B>` as a 16-byte record
 * with its filter values replaced by small ids from per-filter dictionaries (assigned here, in
 * the same atomic step). A tag older than the retention window, counted back from the newest
 * minute seen (the watermark), is acknowledged but not stored.
 *
 * KEYS: stream, bucket index, watermark, origin dictionary, brand dictionary, category dictionary.
 * ARGV: group, bucket key prefix, retention in ms, then per tag: id, minute ms, V|B, origin,
 * brand, category, price. Returns {applied, duplicates, expired}.
 */
export const APPLY_SCRIPT = new LuaScript(`
local stream, index, watermarkKey = KEYS[1], KEYS[2], KEYS[3]
local dictionaries = { KEYS[4], KEYS[5], KEYS[6] }
local group, prefix, retention = ARGV[1], ARGV[2], tonumber(ARGV[3])
local watermark = tonumber(redis.call('GET', watermarkKey) or '0')
local ids = { {}, {}, {} }
local function idOf(which, name)
  local known = ids[which][name]
  if known then return known end
  local dictionary = dictionaries[which]
  local id = redis.call('HGET', dictionary, name)
  if id then
    id = tonumber(id)
  else
    id = redis.call('HLEN', dictionary) + 1
    redis.call('HSET', dictionary, name, id)
  end
  ids[which][name] = id
  return id
end
local applied, duplicates, expired = 0, 0, 0
local records, minutes = {}, {}
for i = 4, #ARGV, 7 do
  if redis.call('XACK', stream, group, ARGV[i]) == 1 then
    local minute = tonumber(ARGV[i + 1])
    if minute > watermark then watermark = minute end
    if minute <= watermark - retention then
      expired = expired + 1
    else
      local key = prefix .. ARGV[i + 1] .. ':' .. ARGV[i + 2]
      local parts = records[key]
      if not parts then
        parts = {}
        records[key] = parts
        minutes[key] = minute
      end
      parts[#parts + 1] = struct.pack('<I4I4I4i4', idOf(1, ARGV[i + 3]), idOf(2, ARGV[i + 4]), idOf(3, ARGV[i + 5]), tonumber(ARGV[i + 6]))
      applied = applied + 1
    end
  else
    duplicates = duplicates + 1
  end
end
for key, parts in pairs(records) do
  redis.call('APPEND', key, table.concat(parts))
  redis.call('ZADD', index, minutes[key], key)
end
redis.call('SET', watermarkKey, watermark)
return { applied, duplicates, expired }
`);

/**
 * Deletes buckets whose minute fell out of the retention window behind the watermark, at most
 * 1000 per call. KEYS: bucket index, watermark. ARGV: retention in ms. Returns how many went.
 */
export const TRIM_SCRIPT = new LuaScript(`
local watermark = tonumber(redis.call('GET', KEYS[2]) or '0')
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', watermark - tonumber(ARGV[1]), 'LIMIT', 0, 1000)
for _, key in ipairs(old) do
  redis.call('DEL', key)
  redis.call('ZREM', KEYS[1], key)
end
return #old
`);
