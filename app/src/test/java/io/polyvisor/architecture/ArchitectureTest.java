package io.polyvisor.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package rules of docs/ARCHITECTURE.md, checked on the compiled main classes of every module
 * (tests excluded). Each module is imported from its own jar or classes folder, so a rule about "core" means
 * the core module even where a package name (io.polyvisor.ha) exists in two modules.
 */
class ArchitectureTest {
    /** Packages the server's feature slices live in: the shared layers below must not reach into them. */
    private static final String[] FEATURES = {"io.polyvisor.inventory..", "io.polyvisor.lifecycle..",
            "io.polyvisor.balancing..", "io.polyvisor.ha..", "io.polyvisor.image..",
            "io.polyvisor.groups..", "io.polyvisor.coord..", "io.polyvisor.identity..", "io.polyvisor.server.."};

    /** Main code only: no test-classes folders and no test-jars ({@code *-tests.jar}) of the other modules. */
    private static final ImportOption MAIN_ONLY = location -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar");

    static JavaClasses all;
    static JavaClasses core;
    static JavaClasses cli;
    static JavaClasses server;

    @BeforeAll
    static void importModules() {
        core = module(io.polyvisor.model.Vm.class);
        cli = module(io.polyvisor.cli.Main.class);
        server = module(io.polyvisor.server.PolyvisorServer.class);
        all = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("io.polyvisor");
    }

    /** The main classes of the module (jar or classes folder) that holds {@code anchor}. */
    private static JavaClasses module(Class<?> anchor) {
        try {
            Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            var importer = new ClassFileImporter().withImportOption(MAIN_ONLY);
            return java.nio.file.Files.isDirectory(where) ? importer.importPath(where)
                    : importer.importJar(new java.util.jar.JarFile(where.toFile()));
        } catch (URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException("cannot read the module of " + anchor.getName(), e);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.polyvisor.(*)..").should().beFreeOfCycles().check(all);
    }

    @Test
    void coreDependsOnNothingButTheJdk() {
        Set<String> own = core.stream().map(JavaClass::getName).collect(Collectors.toSet());
        noClasses().should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are outside core and the JDK") {
            @Override
            public boolean test(JavaClass c) {
                String n = c.getName();
                return !own.contains(n) && !n.startsWith("java.") && !c.isPrimitive() && !c.isArray();
            }
        }).check(core);
    }

    @Test
    void theCliLinksNeitherTheStoreNorTheWebServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.polyvisor.store..", "io.polyvisor.server..",
                        "io.polyvisor.api..", "io.polyvisor.bench..", "io.javalin..", "org.eclipse.jetty..", "java.sql..",
                        "org.jdbi..", "com.zaxxer..", "org.h2..", "org.postgresql..", "org.libvirt..")
                .check(cli);
    }

    @Test
    void theProductDoesNotLinkTheBenchmarks() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.polyvisor.bench..").check(server);
    }

    @Test
    void sharedLayersDoNotReachIntoFeatures() {
        noClasses().that().resideInAnyPackage("io.polyvisor.api..", "io.polyvisor.feature..", "io.polyvisor.store..", "io.polyvisor.metrics..",
                        "io.polyvisor.events..", "io.polyvisor.settings..", "io.polyvisor.drivers..", "io.polyvisor.tasks..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .check(server);
    }

    /**
     * Request bodies are read through the API's {@code Body.text}, which decodes UTF-8 (the one charset the edge
     * lets through); Javalin's {@code body()} would decode by whatever charset parameter the client wrote.
     */
    @Test
    void routesReadBodiesThroughTheApi() {
        noClasses().should().callMethod(io.javalin.http.Context.class, "body").check(server);
    }
}
