import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/** A single Elasticsearch node from the Maven Central jars: settings from HOME/config/elasticsearch.yml. */
public final class LocalNode {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    // The server's loggers resolve through this provider, settings parsing included.
    LogConfigurator.configureESLogging();
    Settings settings = Settings.builder()
        .loadFromPath(home.resolve("config/elasticsearch.yml"))
        .put("path.home", home.toString())
        .build();
    LogConfigurator.configureWithoutConfig(settings);
    Environment environment = new Environment(settings, home.resolve("config"));
    Files.createDirectories(environment.tmpDir());
    PluginsLoader plugins = PluginsLoader.createPluginsLoader(
        PluginsLoader.loadModulesBundles(environment.modulesDir(), false), Set.of(), Map.of());
    Node node = new Node(environment, plugins).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { node.close(); } catch (Exception e) { e.printStackTrace(); }
      stopped.countDown();
    }));
    System.out.println("local node started");
    stopped.await();
  }
}
