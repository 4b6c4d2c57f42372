package dev.mooring.operator.model;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What proves a drain request comes from the pod's own preStop: a random value per McpServer, rendered into the
 * server container's preStop header and into the proxy container's environment. The server process cannot read the
 * proxy container's environment, so neither it (a tool following a prompt-injected URL) nor another pod can take a
 * pod out of its Service; whoever can read the Deployment can read the token, and can delete the pod anyway.
 * It is kept from the Deployment as it is, and it is not part of the revision: it never rolls a server by itself.
 */
public record DrainToken(String value) {
    /** The proxy compares it with its MOORING_PROXY_DRAIN_TOKEN (MooringProxy.DRAIN_TOKEN_HEADER). */
    public static final String HEADER = "X-Mooring-Drain-Token";
    static final String ENV = "MOORING_PROXY_DRAIN_TOKEN";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The token the server's pods carry already, or a fresh one for a server that has no Deployment with one yet. */
    public static DrainToken keptOrFresh(Optional<Deployment> actual) {
        return actual.flatMap(deployment -> in(deployment.getSpec().getTemplate())).orElseGet(DrainToken::fresh);
    }

    static DrainToken fresh() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return new DrainToken(HexFormat.of().formatHex(bytes));
    }

    static Optional<DrainToken> in(PodTemplateSpec template) {
        if (template == null || template.getSpec() == null || template.getSpec().getInitContainers() == null) {
            return Optional.empty();
        }
        return template.getSpec().getInitContainers().stream()
                .filter(container -> ProxySidecar.CONTAINER.equals(container.getName()) && container.getEnv() != null)
                .flatMap(container -> container.getEnv().stream())
                .filter(variable -> ENV.equals(variable.getName()) && variable.getValue() != null && !variable.getValue().isBlank())
                .map(variable -> new DrainToken(variable.getValue()))
                .findFirst();
    }

    /** Into a template that runs the proxy: the proxy's environment and the server's preStop GET /drain. */
    void stamp(PodTemplateSpec template) {
        ProxySidecar.addToEnvironment(template, ENV, value);
        template.getSpec().getContainers().stream()
                .filter(server -> ServerDeployment.CONTAINER.equals(server.getName()) && server.getLifecycle() != null
                        && server.getLifecycle().getPreStop() != null && server.getLifecycle().getPreStop().getHttpGet() != null)
                .forEach(server -> server.getLifecycle().getPreStop().getHttpGet().setHttpHeaders(List.of(new HTTPHeader(HEADER, value))));
    }

    @Override
    public String toString() {
        return "DrainToken[redacted]";
    }
}
