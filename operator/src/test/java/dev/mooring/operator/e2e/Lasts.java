package dev.mooring.operator.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * About how long an end-to-end class takes on the 2-core node (its "timeline:" line in a run's log), for
 * {@link NodeSharesOrder} to start the longest first. A wrong figure only costs minutes, never a result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Lasts {
    int seconds();
}
