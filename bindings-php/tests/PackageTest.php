<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * What ships in dist/php (bindings-php/dist.sh): the extension, its ini line, the IDE stubs, the
 * guide and both licenses; the extension's name and version; the guide readable off GitHub.
 */
final class PackageTest extends TestCase
{
    private const FILES = ['qfpay.so', 'qfpay.ini', 'qfpay.php', 'surface.php', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'];

    public function testTheShippedDirectoryHoldsTheGuideAndTheLicenses(): void
    {
        $artifacts = getenv('QFPAY_ARTIFACTS');
        if ($artifacts === false || $artifacts === '') {
            $this->markTestSkipped('checks dist/php: run with QFPAY_ARTIFACTS (make test; scripts/dist.sh builds it)');
        }
        $dir = (str_starts_with($artifacts, '/') ? $artifacts : QFPAY_REPO . "/$artifacts") . '/php';
        $files = array_values(array_diff(scandir($dir) ?: [], ['.', '..']));
        sort($files);
        $expected = self::FILES;
        sort($expected);
        $this->assertSame($expected, $files, "the files of $dir");
        $this->assertFileEquals(QFPAY_REPO . '/bindings-php/README.md', "$dir/README.md");
        $this->assertFileEquals(QFPAY_REPO . '/LICENSE-MIT', "$dir/LICENSE-MIT");
        $this->assertFileEquals(QFPAY_REPO . '/LICENSE-APACHE', "$dir/LICENSE-APACHE");
        $this->assertFileEquals(QFPAY_REPO . '/bindings-php/stubs/qfpay.php', "$dir/qfpay.php");
        $this->assertFileEquals(QFPAY_REPO . '/bindings-php/stubs/surface.php', "$dir/surface.php");
        $this->assertSame("extension=qfpay.so\n", file_get_contents("$dir/qfpay.ini"));
        $this->assertSame(realpath("$dir/qfpay.so"), realpath(qfpay_extension_path()), 'the suite tests the shipped extension');
    }

    public function testTheExtensionNamesItselfAndItsVersion(): void
    {
        // `php --re qfpay` and composer's ext-qfpay read these.
        $this->assertSame(\QfPay\QfPay::VERSION, phpversion('qfpay'));
        preg_match('/^\[workspace\.package\].*?^version = "([^"]+)"/ms', (string) file_get_contents(QFPAY_REPO . '/Cargo.toml'), $m);
        $this->assertSame($m[1] ?? null, \QfPay\QfPay::VERSION, 'the workspace version');
        $this->assertStringContainsString("qfpay version {$m[1]}", (string) shell_exec(PHP_BINARY . ' -n -d extension=' . escapeshellarg(qfpay_extension_path()) . ' --re qfpay'));
        $this->assertStringContainsString('MIT', (string) file_get_contents(QFPAY_REPO . '/LICENSE-MIT'));
        $this->assertStringContainsString('Apache License', (string) file_get_contents(QFPAY_REPO . '/LICENSE-APACHE'));
    }

    public function testTheGuideLinksWorkOutsideTheRepository(): void
    {
        $readme = (string) file_get_contents(QFPAY_REPO . '/bindings-php/README.md');
        preg_match_all('/\]\(([^)\s]+)\)/', $readme, $m);
        $this->assertNotEmpty($m[1]);
        foreach ($m[1] as $link) {
            $this->assertMatchesRegularExpression('~^(https://|#)~', $link, "a link in the shipped README must be absolute: $link");
            if (preg_match('~^https://github\.com/qfpay-sdk/qfpay/(blob|tree)/main/([^#]+)~', $link, $p)) {
                $this->assertFileExists(QFPAY_REPO . "/{$p[2]}", "README links $link");
            }
        }
        $this->assertStringNotContainsString('not published', $readme);
        $lines = explode("\n", $readme);
        $quickStart = array_search('## Quick start', $lines, true);
        $this->assertIsInt($quickStart);
        $this->assertLessThan(60, $quickStart, 'the quick start is within the first 60 lines');
    }
}
