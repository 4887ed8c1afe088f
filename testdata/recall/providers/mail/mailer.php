<?php
// Legacy Mailgun setup (v2 era keys)
$mg = Mailgun\Mailgun::create('key-bbb3cbc3ee42682508b98a14250eb2b1');
$domain = 'mg.contoso.com';

$sendgrid = new \SendGrid('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');
$placeholder = new \SendGrid('SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
