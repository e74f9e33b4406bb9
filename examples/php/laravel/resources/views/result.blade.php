@extends('layout')
@section('title', 'Your order')
@section('content')
<p>Order <code id="out-trade-no">{{ $no }}</code>, HK${{ number_format($order['amount'] / 100, 2) }}</p>
<p>State: <strong id="state">{{ $state }}</strong>
@if ($state === 'succeeded') Paid, thank you.
@elseif ($state === 'pending') Waiting for the payment: <a href="">refresh</a> in a moment.
@else Not paid.
@endif
</p>
<p>Notifications received: <span id="notifications">{{ count($order['notifications']) }}</span></p>
@endsection
