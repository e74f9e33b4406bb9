<?php

namespace App\Providers;

use App\Payments\OrderStore;
use Illuminate\Support\ServiceProvider;
use QfPay\Client;

class AppServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        // One client per request (an FPM worker reboots the application for each one): clients
        // with the same options share one connection pool per worker, so this costs ~0.2 ms.
        // Its settings come from config/services.php (QFPAY_* in the environment or .env).
        $this->app->singleton(Client::class, fn () => new Client(array_filter([
            'appCode' => config('services.qfpay.app_code'),
            'clientKey' => config('services.qfpay.client_key'),
            'environment' => config('services.qfpay.environment'),
            'baseUrl' => config('services.qfpay.base_url'),
            'logger' => $this->app->make('log'),   // the SDK's events in Laravel's log (config/logging.php)
        ])));
        $this->app->singleton(OrderStore::class, fn () => new OrderStore(storage_path('app/orders')));
    }
}
