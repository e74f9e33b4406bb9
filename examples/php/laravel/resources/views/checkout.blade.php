@extends('layout')
@section('title', 'Coffee shop')
@section('content')
<form method="post" action="{{ route('checkout.store') }}">
  @csrf
  <label>Amount (minor units, 300 is HK$3.00) <input name="amount" value="300"></label>
  <button>Pay with WeChat Pay</button>
</form>
<form method="post" action="{{ route('checkout.hosted') }}">
  @csrf
  <input type="hidden" name="amount" value="300">
  <button>Pay on QFPay's checkout page (HK$3.00)</button>
</form>
@foreach ($errors->all() as $error)
  <p>{{ $error }}</p>
@endforeach
@endsection
