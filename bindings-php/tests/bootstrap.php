<?php
// PHPUnit runs with the extension loaded (bindings-php/test.sh: php -d extension=...).
declare(strict_types=1);

if (!extension_loaded('qfpay')) {
    fwrite(STDERR, "the qfpay extension is not loaded: run bindings-php/test.sh\n");
    exit(1);
}

const QFPAY_REPO = __DIR__ . '/../..';

/** The shared test vectors. */
function qfpay_vectors(string $name): array
{
    $data = json_decode((string) file_get_contents(QFPAY_REPO . "/tests/vectors/$name.json"), true, 512, JSON_THROW_ON_ERROR);
    return $data['cases'];
}

/** The IDE stub's files: stubs/qfpay.php and the generated stubs/surface.php. */
function qfpay_stub_files(): array
{
    return [__DIR__ . '/../stubs/qfpay.php', __DIR__ . '/../stubs/surface.php'];
}

/** The IDE stub's text, every file. */
function qfpay_stub(): string
{
    return implode("\n", array_map(fn ($f) => (string) file_get_contents($f), qfpay_stub_files()));
}

/** The path of the extension .so under test. */
function qfpay_extension_path(): string
{
    $p = getenv('QFPAY_PHP_EXTENSION');
    if ($p === false || $p === '') {
        $p = QFPAY_REPO . '/target/debug/qfpay.so';
    }
    return $p;
}
