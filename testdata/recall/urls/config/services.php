<?php

return [
    'weather' => [
        'endpoint' => 'https://api.weather.io/v2/forecast?apikey=etDdZCkQSUHVYHYkcx8r1YEIPPowxwGb&units=metric',
    ],
    'geo' => [
        'endpoint' => 'https://geo.corp.local/lookup?apikey=' . env('GEO_API_KEY'),
    ],
    'db' => 'pgsql://laravel:r6WPrPjvZmm9LQdR@/laravel?host=/var/run/postgresql',
];
