import io.micronaut.aot.MicronautAotOptimizer;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs Micronaut AOT on the deployment package and adds what it generates to the shaded jar,
 * merging the service files. The bundle module's build runs it when it packages, after the shade,
 * as a single-file program:
 *
 * <p>{@code java -cp <AOT + application classpath> MicronautAot.java <aot.properties> <application
 * classpath> <output dir> <jar>}
 *
 * <p>Not the micronaut-maven-plugin's AOT goal: it packages the module again in a nested Maven
 * build, which resolves this reactor's other modules from the local repository (absent on a fresh
 * machine's {@code verify}), and the AOT command-line jar it runs is not resolvable here. What is
 * enabled, and why, is in {@code aot.properties} beside this file.
 */
public final class MicronautAot {

  private MicronautAot() {}

  public static void main(String[] args) throws IOException {
    Properties config = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      config.load(in);
    }
    Path output = Path.of(args[2]).toAbsolutePath();
    deleteTree(output); // what an earlier configuration generated
    config.put("classpath", args[1].replace(File.pathSeparatorChar, ','));
    config.put("package", "io.stepwise.aot");
    config.put("output.directory", output.toString());
    config.put("runtime", "jit");
    MicronautAotOptimizer.execute(config);
    addTo(Path.of(args[3]).toAbsolutePath(), output.resolve("classes"));
  }

  private static void deleteTree(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** Copies the generated classes into the jar; a service file already there gets their lines. */
  private static void addTo(Path jar, Path classes) throws IOException {
    try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = zip.getPath("/", classes.relativize(file).toString().replace('\\', '/'));
        Files.createDirectories(target.getParent());
        if (target.toString().startsWith("/META-INF/services/") && Files.exists(target)) {
          String listed = Files.readString(target, StandardCharsets.UTF_8);
          String separator = listed.isEmpty() || listed.endsWith("\n") ? "" : "\n";
          Files.writeString(
              target, listed + separator + Files.readString(file, StandardCharsets.UTF_8));
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
