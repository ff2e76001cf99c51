package dev.tally;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The package graph of docs/architecture.md, checked on the compiled main classes: arrows point
 * down (no cycle), the shared HTTP edge ({@code web}) and the domain ({@code record}) import
 * nothing of ours, and SQL is run in {@code store} only, with no exception.
 */
@AnalyzeClasses(packages = "dev.tally", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycle =
            slices().matching("dev.tally.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule webIsALeaf = importsNothingOfOurs("web");

    @ArchTest
    static final ArchRule recordIsALeaf = importsNothingOfOurs("record");

    /** Running SQL: the JDBC statement calls and Spring's JDBC helpers. */
    private static final Set<String> STATEMENT_FACTORIES = Set.of("prepareStatement", "prepareCall", "createStatement");

    @ArchTest
    static final ArchRule sqlLivesInStore = noClasses()
            .that(resideOutsideOfPackage("dev.tally.store.."))
            .should()
            .callMethodWhere(describe(
                    "a JDBC connection prepares or creates a statement",
                    (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(Connection.class)
                            && STATEMENT_FACTORIES.contains(call.getName())))
            .orShould()
            .callMethodWhere(describe(
                    "a JDBC statement executes",
                    (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(Statement.class)
                            && call.getName().startsWith("execute")))
            .orShould()
            .dependOnClassesThat(describe(
                    "a Spring JDBC helper (JdbcTemplate, JdbcClient)",
                    (JavaClass c) -> c.isAssignableTo(JdbcOperations.class)
                            || c.isAssignableTo(NamedParameterJdbcOperations.class)
                            || c.isAssignableTo(JdbcClient.class)))
            .because("SQL is visible in one place: store/ owns the tables, their statements and the dialects");

    private static ArchRule importsNothingOfOurs(String name) {
        return noClasses()
                .that()
                .resideInAPackage("dev.tally." + name + "..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("dev.tally..").and(not(resideInAPackage("dev.tally." + name + ".."))))
                .because(name + " is a leaf of the package graph (docs/architecture.md)");
    }
}
