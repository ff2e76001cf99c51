package dev.tally.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The records the wrk driver sends, as a pure function of (wrk thread, request number): the Lua
 * script ({@link #script}) computes them in wrk, {@link #item} computes the same ones here, so the
 * bench knows every record it sent without wrk writing them out. New valid originals only, with
 * the generator's shape: destinations, references, units, the share above the alert threshold,
 * values and the record times' spread ({@link Times}) are drawn alike, from a different stream.
 *
 * <p>The stream is murmur3's finaliser over 32-bit integers: xor, shifts, and multiplications
 * that the script splits into 16-bit halves, so that LuaJIT's doubles compute exactly what Java's
 * int arithmetic does. The scenario compares every stored record with {@link #item}: a script that
 * drew differently fails the run.
 */
final class WrkRecords {

    /** recordIds are {@code PREFIX-thread-n}; no other scenario's prefix starts with this letter. */
    static final String PREFIX = "w";

    private static final int GOLDEN = 0x9E3779B9;
    private static final double TWO_32 = 4294967296.0;

    private final Generator.Params p;
    private final int seed32;

    WrkRecords(Generator.Params params) {
        this.p = params;
        this.seed32 = (int) (params.seed() ^ (params.seed() >>> 32));
    }

    static String recordId(int thread, long n) {
        return PREFIX + "-" + thread + "-" + n;
    }

    static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Draw {@code j} of request {@code n} of {@code thread}, an unsigned 32-bit value. */
    private long draw(int key, int j) {
        return Integer.toUnsignedLong(fmix(key + j * GOLDEN));
    }

    /** Request {@code n} (1, 2, ...) of wrk thread {@code thread} (0, 1, ...). */
    Generator.Item item(int index, int thread, long n) {
        int key = fmix(fmix(seed32 + thread) + (int) n);
        int destination = (int) (draw(key, 1) % p.destinations());
        String reference = "ref-" + draw(key, 2) % p.referencesPerDestination();
        String unit = Generator.UNITS[(int) (draw(key, 3) % Math.min(p.units(), Generator.UNITS.length))];
        boolean positive = draw(key, 4) % 4 != 0;
        boolean over = draw(key, 5) / TWO_32 < p.overThresholdShare();
        long cents = over ? 1_000_001 + draw(key, 6) % 9_000_000 : 1 + draw(key, 6) % 999_999;
        Instant time;
        if (p.times().spread() == Times.Spread.UNIFORM) {
            time = Generator.EPOCH
                    .plusSeconds(draw(key, 7) % Generator.WINDOW_SECONDS)
                    .plusMillis(draw(key, 8) % 1000);
        } else {
            Times.Tier tier = Times.tier(draw(key, 7) / TWO_32);
            time = p.times().beforeArrival(tier, draw(key, 8) % (tier.toSeconds() - tier.fromSeconds()), (int)
                    (draw(key, 9) % 1000));
        }
        return new Generator.Item(
                index,
                Generator.Kind.ORIGINAL,
                index,
                recordId(thread, n),
                time,
                "acct-" + destination,
                positive,
                BigDecimal.valueOf(cents, 2),
                unit,
                reference);
    }

    /**
     * The wrk script: per thread a request counter (recordId {@code w-thread-n}), the body from
     * the stream above, statuses counted in {@code response()}, and the requests not (yet) answered
     * 201 kept as {@code pending}. {@code done()} prints, as lines starting with {@code tally}, per
     * thread its requests and pending ones, the statuses, wrk's summary and latency percentiles in
     * microseconds, and wrk's own CPU ticks from /proc/self/stat (every thread has stopped by then).
     */
    String script() {
        String tiers = Times.REALISTIC.stream()
                .map(t -> String.format(Locale.ROOT, "{%s, %d, %d}", t.share(), t.fromSeconds(), t.toSeconds()))
                .collect(Collectors.joining(", "));
        String units = String.join(
                ", ",
                java.util.Arrays.stream(Generator.UNITS)
                        .map(u -> "\"" + u + "\"")
                        .toList());
        String params = String.format(
                Locale.ROOT,
                """
                local P = {
                  prefix = "%s", seed = %d, destinations = %d, references = %d, units = %d,
                  overThreshold = %s, uniform = %s, epochMs = %d, windowSeconds = %d, arrivalMs = %d,
                  tiers = {%s},
                }
                local UNITS = {%s}
                """,
                PREFIX,
                seed32,
                p.destinations(),
                p.referencesPerDestination(),
                Math.min(p.units(), Generator.UNITS.length),
                p.overThresholdShare(),
                p.times().spread() == Times.Spread.UNIFORM,
                Generator.EPOCH.toEpochMilli(),
                Generator.WINDOW_SECONDS,
                p.times().arrival().toEpochMilli(),
                tiers,
                units);
        return params + SCRIPT;
    }

    private static final String SCRIPT = """
            local bit = require("bit")
            local bxor, lshift, rshift, tobit = bit.bxor, bit.lshift, bit.rshift, bit.tobit
            local TWO_32 = 4294967296

            -- a * b mod 2^32 as Java's int multiplication; b a non-negative constant below 2^32.
            -- The halves keep every intermediate below 2^51, where doubles are exact.
            local function mul32(a, b)
              local hi, lo = math.floor(b / 65536), b % 65536
              return tobit(lshift(tobit(a * hi), 16) + a * lo)
            end
            local function fmix(h)
              h = bxor(h, rshift(h, 16)); h = mul32(h, 0x85ebca6b)
              h = bxor(h, rshift(h, 13)); h = mul32(h, 0xc2b2ae35)
              return bxor(h, rshift(h, 16))
            end
            local function draw(key, j) return fmix(tobit(key + j * 0x9E3779B9)) % TWO_32 end

            local function body(thread, n)
              local key = fmix(tobit(fmix(tobit(P.seed + thread)) + n))
              local destination = draw(key, 1) % P.destinations
              local reference = draw(key, 2) % P.references
              local unit = UNITS[draw(key, 3) % P.units + 1]
              local positive = draw(key, 4) % 4 ~= 0
              local cents
              if draw(key, 5) / TWO_32 < P.overThreshold then
                cents = 1000001 + draw(key, 6) % 9000000
              else
                cents = 1 + draw(key, 6) % 999999
              end
              local ms
              if P.uniform then
                ms = P.epochMs + (draw(key, 7) % P.windowSeconds) * 1000 + draw(key, 8) % 1000
              else
                local q, below, tier = draw(key, 7) / TWO_32, 0, P.tiers[#P.tiers]
                for _, t in ipairs(P.tiers) do
                  below = below + t[1]
                  if q < below then tier = t; break end
                end
                ms = P.arrivalMs - (tier[2] + draw(key, 8) % (tier[3] - tier[2])) * 1000 - draw(key, 9) % 1000
              end
              local time = os.date("!%Y-%m-%dT%H:%M:%S", math.floor(ms / 1000)) .. string.format(".%03dZ", ms % 1000)
              return string.format(
                '{"recordId":"%s-%d-%d","time":"%s","sourceId":"bench","destinationId":"acct-%d",'
                  .. '"type":"%s","value":"%d.%02d","unit":"%s","reference":"ref-%d"}',
                P.prefix, thread, n, time, destination, positive and "positive" or "negative",
                math.floor(cents / 100), cents % 100, unit, reference)
            end

            local threads = {}
            function setup(thread)
              thread:set("tid", #threads)
              table.insert(threads, thread)
            end

            -- globals of each thread's environment, read back by done() through thread:get
            function init(args)
              sent, statuses, pending = 0, {}, {}
              idPattern = '"recordId":"' .. P.prefix .. '%-' .. tid .. '%-(%d+)"'
            end

            function request()
              sent = sent + 1
              pending[sent] = true
              return wrk.format("POST", "/v1/records", {["Content-Type"] = "application/json"}, body(tid, sent))
            end

            function response(status, headers, body)
              statuses[status] = (statuses[status] or 0) + 1
              if status == 201 then
                local n = string.match(body, idPattern)
                if n then pending[tonumber(n)] = nil end
              end
            end

            function done(summary, latency, requests)
              local all = {}
              for _, t in ipairs(threads) do
                local ids = {}
                for n in pairs(t:get("pending")) do table.insert(ids, n) end
                table.sort(ids)
                print(string.format("tally thread %d sent %d pending %d %s", t:get("tid"), t:get("sent"), #ids,
                  table.concat(ids, ",", 1, math.min(#ids, 100000))))
                for status, count in pairs(t:get("statuses")) do all[status] = (all[status] or 0) + count end
              end
              for status, count in pairs(all) do print(string.format("tally status %d %d", status, count)) end
              local e = summary.errors
              print(string.format("tally summary %d %d %d %d %d %d %d", summary.duration, summary.requests,
                e.connect, e.read, e.write, e.status, e.timeout))
              print(string.format("tally latency %d %d %d", latency:percentile(50), latency:percentile(99), latency.max))
              local f = io.open("/proc/self/stat", "r")
              if f then
                local stat = f:read("*a"); f:close()
                local fields = {}
                for v in stat:sub(stat:find(")", 1, true) + 2):gmatch("%S+") do table.insert(fields, v) end
                print(string.format("tally cpu %s %s", fields[12], fields[13]))
              end
            end
            """;
}
