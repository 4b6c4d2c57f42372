package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Reads an integer field that an older CRD let through without an upper bound: a value beyond int32 becomes
 * Integer.MAX_VALUE instead of failing the whole McpServer (and with it the list of every McpServer the
 * operator watches). {@code SpecProblems} then reports the field as out of range.
 */
public final class SaturatingInteger extends JsonDeserializer<Integer> {
    private static final BigInteger MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger MIN = BigInteger.valueOf(Integer.MIN_VALUE);

    @Override
    public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        BigInteger value = parser.getBigIntegerValue();
        return value.compareTo(MAX) > 0 ? Integer.MAX_VALUE : value.compareTo(MIN) < 0 ? Integer.MIN_VALUE : value.intValue();
    }
}
