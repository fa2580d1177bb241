package io.lmcache.gateway.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

class ScratchShotIT {
    @Test
    void shot() throws Exception {
        try (HostileFleet fleet = new HostileFleet(); HeadlessChromium c = HeadlessChromium.start(1400, 900)) {
            c.driver().get("http://127.0.0.1:" + fleet.port() + "/");
            Thread.sleep(12000);
            Files.write(Path.of("/tmp/shot-fleet.png"), c.driver().getScreenshotAs(OutputType.BYTES));
            c.driver().findElement(By.cssSelector(".tree-item.leaf")).click();
            Thread.sleep(2000);
            Files.write(Path.of("/tmp/shot-node.png"), c.driver().getScreenshotAs(OutputType.BYTES));
            c.consoleLog().forEach(e -> System.out.println("CONSOLE " + e));
        }
    }
}
