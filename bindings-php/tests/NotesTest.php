<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use QfPay\{ConfigException, NoteAdded, QfPayException, Sandbox, ValidationException};

/**
 * addNote against the embedded sandbox over real HTTP: the note kept on the order (a later one
 * replaces it), a bad note and a client with an mchid refused before sending.
 */
final class NotesTest extends TestCase
{
    public function testANoteIsKeptOnTheOrderAndALaterOneReplacesIt(): void
    {
        $sb = Sandbox::start(['rateLimit' => false]);
        try {
            $client = $sb->client();
            $p = $client->wechatQr(1001, 'HKD'); // paid at once in the sandbox
            $added = $client->addNote($p->syssn, '禮物包裝 gift wrap');
            $this->assertInstanceOf(NoteAdded::class, $added);
            $this->assertSame([$p->syssn, '禮物包裝 gift wrap'], [$added->syssn, $added->note]);
            $this->assertSame('0000', $added->raw['respcd']);
            $note = fn () => array_values(array_filter($sb->orders(), fn ($o) => $o['syssn'] === $p->syssn))[0]['note'];
            $this->assertSame('禮物包裝 gift wrap', $note());
            $client->addNote($p->syssn, 'second');
            $this->assertSame('second', $note());
            try {
                $client->addNote('20990101000300020000000001', 'x');
                $this->fail('an unknown transaction was noted');
            } catch (QfPayException $e) {
                $this->assertSame('1268', $e->respcd);
            }
        } finally {
            $sb->stop();
        }
    }

    public function testABadNoteAndAnMchidClientAreRefusedBeforeSending(): void
    {
        $sb = Sandbox::start(['rateLimit' => false]);
        try {
            foreach (['', str_repeat('x', 201), "a\nb"] as $note) {
                try {
                    $sb->client()->addNote('20260101000300020000000001', $note);
                    $this->fail('a bad note was sent');
                } catch (ValidationException $e) {
                    $this->assertSame('note', $e->field);
                }
            }
            $this->assertSame(0, $sb->requestCount());
        } finally {
            $sb->stop();
        }
        $agent = Sandbox::start(['merchants' => [['appCode' => 'APPMCH', 'clientKey' => 'KEYMCH', 'mchid' => 'MCH0001']]]);
        try {
            try {
                $agent->client()->addNote('20260101000300020000000001', 'x');
                $this->fail('an mchid client sent a note');
            } catch (ConfigException $e) {
                $this->assertStringContainsString('mchid', $e->getMessage());
            }
            $this->assertSame(0, $agent->requestCount());
        } finally {
            $agent->stop();
        }
    }
}
