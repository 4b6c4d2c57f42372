package dev.mooring.operator.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order two workers take the end-to-end classes in, from their resource locks: first the classes that must have
 * the operator to themselves, then each class under load beside a lighter one. JUnit hands classes out in this order,
 * and a worker whose class waits for a lock waits with it, so a lighter class queued behind a second class under load
 * would wait for both.
 */
public final class NodeSharesOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<ClassDescriptor> alone = new ArrayList<>();
        List<ClassDescriptor> underLoad = new ArrayList<>();
        List<ClassDescriptor> lighter = new ArrayList<>();
        List<? extends ClassDescriptor> classes = context.getClassDescriptors();
        classes.stream().sorted(Comparator.comparing(c -> c.getTestClass().getName())).forEach(c -> {
            List<ResourceLock> locks = c.findRepeatableAnnotations(ResourceLock.class);
            if (locks.stream().anyMatch(l -> l.value().equals(NodeShares.OPERATOR) && l.mode() == ResourceAccessMode.READ_WRITE)) {
                alone.add(c);
            } else if (locks.stream().anyMatch(l -> l.value().equals(NodeShares.LOAD))) {
                underLoad.add(c);
            } else {
                lighter.add(c);
            }
        });
        List<ClassDescriptor> order = new ArrayList<>(alone);
        for (int i = 0; i < Math.max(underLoad.size(), lighter.size()); i++) {
            if (i < underLoad.size()) {
                order.add(underLoad.get(i));
            }
            if (i < lighter.size()) {
                order.add(lighter.get(i));
            }
        }
        Map<ClassDescriptor, Integer> position = new HashMap<>();
        order.forEach(c -> position.put(c, position.size()));
        classes.sort(Comparator.comparingInt(position::get));
    }
}
