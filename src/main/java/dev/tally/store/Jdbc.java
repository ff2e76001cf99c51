package dev.tally.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions shared by the stores: instants as UTC {@code TIMESTAMP WITH TIME ZONE}, exact decimals. */
public final class Jdbc {

    private Jdbc() {}

    public static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Instant getInstant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The stored NUMERIC(56,18) brought back to the scale it was given with; exact by construction. */
    public static BigDecimal withScale(BigDecimal stored, int scale) {
        return stored.setScale(scale, RoundingMode.UNNECESSARY);
    }
}
