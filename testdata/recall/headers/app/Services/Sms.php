<?php

namespace App\Services;

use GuzzleHttp\Client;

class Sms
{
    public function send(string $to, string $body)
    {
        $client = new Client(['base_uri' => 'https://sms.gateway.io']);
        return $client->post('/v1/messages', [
            'headers' => [
                'Authorization' => 'Bearer mSgO0r4fjPY02ysybjKErLs7YuSIT5XJ',
                'Accept' => 'application/json',
            ],
            'json' => ['to' => $to, 'body' => $body],
        ]);
    }

    public function sendWith(string $token)
    {
        return ['Authorization' => 'Bearer ' . $token];
    }
}
