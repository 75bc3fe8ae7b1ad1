package dev.sluice;

import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module boundary as another named module meets it. The engine's tests run on the class path, where
 * every package is reachable; here the engine's compiled classes (with their {@code module-info.class})
 * are resolved as the named module {@code dev.sluice} in a fresh {@link ModuleLayer}, next to a probe
 * module compiled at test time that {@code requires dev.sluice}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModuleBoundaryTest {
    private static final String PROBE_MODULE = "module probe { requires dev.sluice; exports probe; }\n";

    /** Uses the API (a loop listening on loopback), then tries the internals by reflection. */
    private static final String PROBE = String.join("\n",
            "package probe;",
            "import dev.sluice.*;",
            "import java.net.InetSocketAddress;",
            "public final class Probe {",
            "    public static String run(String threadName) throws Exception {",
            "        int port;",
            "        try (EventLoop loop = EventLoop.start(LoopConfig.defaults().withName(threadName))) {",
            "            Listener l = loop.listen(new InetSocketAddress(\"127.0.0.1\", 0), ListenerConfig.defaults(),",
            "                    () -> (c, data) -> c.writeCopy(data));",
            "            port = l.localAddress().getPort();",
            "        }",
            "        Class<?> internal = Class.forName(\"dev.sluice.internal.Counters\", false, Probe.class.getClassLoader());",
            "        try {",
            "            internal.getConstructor().newInstance();",
            "            return \"listened on \" + port + \"; internal reachable\";",
            "        } catch (IllegalAccessException denied) {",
            "            return \"listened on \" + port + \"; internal denied: \" + denied.getMessage();",
            "        }",
            "    }",
            "}",
            "");

    /** The same, but naming an internal class in source. */
    private static final String COMPILE_TIME_PROBE = String.join("\n",
            "package probe;",
            "public final class Probe {",
            "    static Object counters() { return new dev.sluice.internal.Counters(); }",
            "}",
            "");

    @TempDir
    Path dir;

    @Test
    void shouldExportTheApiPackagesAndDenyTheInternalOneToAnotherNamedModule() throws Exception {
        Path engine = engineClasses();
        Path probeOut = compileProbe(PROBE, engine);
        ModuleLayer layer = layer(engine, probeOut);
        Module sluice = layer.findModule("dev.sluice").orElseThrow();
        Module probe = layer.findModule("probe").orElseThrow();

        assertEquals(Set.of("dev.sluice", "dev.sluice.codec"), sluice.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()), "the exported packages");
        assertTrue(sluice.getPackages().contains("dev.sluice.internal"), "the internal package is in the module");
        assertFalse(sluice.isExported("dev.sluice.internal"), "dev.sluice.internal exported");
        assertFalse(sluice.isExported("dev.sluice.internal", probe), "dev.sluice.internal exported to probe");
        assertFalse(sluice.isOpen("dev.sluice.internal", probe), "dev.sluice.internal open to probe");
        assertTrue(sluice.isExported("dev.sluice", probe));
        assertTrue(probe.canRead(sluice));

        try (LoopFixture f = new LoopFixture("module-probe")) {
            // The probe's loop is named like the fixture's, so the leak check sees its thread gone.
            Method run = probe.getClassLoader().loadClass("probe.Probe").getMethod("run", String.class);
            String result = (String) run.invoke(null, "test-loop-module-probe");

            assertTrue(result.matches("listened on [1-9]\\d*; internal denied: .*"), result);
            assertTrue(result.contains("module dev.sluice does not export dev.sluice.internal to module probe"), result);
        }
    }

    @Test
    void shouldRefuseToCompileANamedModuleThatUsesTheInternalPackage() throws Exception {
        try (LoopFixture f = new LoopFixture("module-compile")) {
            String errors = compileProbeErrors(COMPILE_TIME_PROBE, engineClasses());

            assertTrue(errors.contains("package dev.sluice.internal is not visible"), errors);
            assertTrue(errors.contains("does not export it"), errors);
        }
    }

    /** Where the engine's classes were loaded from: target/classes, with its module-info.class. */
    private static Path engineClasses() throws Exception {
        Path classes = Path.of(EventLoop.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.exists(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        return classes;
    }

    private static ModuleLayer layer(Path engine, Path probe) {
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(engine, probe), ModuleFinder.of(),
                Set.of("probe"));
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    private Path compileProbe(String source, Path engine) throws IOException {
        Path out = dir.resolve("probe-classes");
        String errors = compile(source, engine, out);
        assertEquals("", errors, "the probe, which uses only the API, did not compile");
        return out;
    }

    private String compileProbeErrors(String source, Path engine) throws IOException {
        String errors = compile(source, engine, dir.resolve("probe-classes"));
        assertFalse(errors.isEmpty(), "the probe compiled although it names dev.sluice.internal");
        return errors;
    }

    /** Compiles the probe module with javac against the engine on the module path; returns the errors. */
    private String compile(String source, Path engine, Path out) throws IOException {
        Path src = dir.resolve("probe-src");
        Files.createDirectories(src.resolve("probe"));
        Files.createDirectories(out);
        Files.writeString(src.resolve("module-info.java"), PROBE_MODULE, StandardCharsets.UTF_8);
        Files.writeString(src.resolve("probe/Probe.java"), source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(
                    src.resolve("module-info.java"), src.resolve("probe/Probe.java"));
            // An explicit, empty class path: in-process javac would otherwise default to this JVM's, where
            // the engine's packages sit in the unnamed module.
            Path emptyClassPath = Files.createDirectories(dir.resolve("empty"));
            List<String> options = List.of("--module-path", engine.toString(), "--class-path", emptyClassPath.toString(),
                    "-d", out.toString(), "-proc:none");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        StringBuilder errors = new StringBuilder();
        diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .forEach(d -> errors.append(d.getMessage(Locale.ROOT)).append('\n'));
        return errors.toString();
    }
}
