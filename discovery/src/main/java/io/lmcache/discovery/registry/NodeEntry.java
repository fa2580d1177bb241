package io.lmcache.discovery.registry;

import java.time.Instant;

/**
 * An immutable view of one live registration, as of the read that produced it.
 *
 * @param apiAddress     normalised api_address, the registry key
 * @param ipAddress      the host of {@code apiAddress} when it is an IP literal (IPv6 without brackets), else null
 * @param pid            the reported pid, or null when none was sent
 * @param version        the reported version ({@code 1.0.0} when none was sent)
 * @param otherInfo      the {@code other_info} string exactly as sent ({@code {}} when none was sent)
 * @param startTime      wall-clock time of the first heartbeat of this registration (fixed)
 * @param lastReportTime wall-clock time of the latest heartbeat
 * @param sinceLastReportNanos monotonic time elapsed since the latest heartbeat, at the time of the read
 * @param state          up or stale at the time of the read
 */
public record NodeEntry(String apiAddress, String ipAddress, Long pid, String version, String otherInfo,
                        Instant startTime, Instant lastReportTime, long sinceLastReportNanos, EntryState state) {
}
